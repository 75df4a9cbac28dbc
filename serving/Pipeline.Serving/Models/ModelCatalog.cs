using System.Collections.Concurrent;
using System.Globalization;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.Infra.Tracking;
using Pipeline.Serving.Http;
using Pipeline.Serving.Routing;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving.Models;

/// <summary>
/// Resolves the OpenAI <c>model</c> field: <c>NAME</c> (the running experiment's variant for the user, else the
/// <c>champion</c> alias), <c>NAME@ALIAS</c>, or <c>NAME/VERSION</c> → registry version → package digest → loaded.
/// </summary>
public sealed class ModelCatalog(ITrackingStore tracking, IArtifactStore artifacts, ServingStore store, MultiLoraHost host, ServingOptions options)
{
    public const string DefaultAlias = "champion";

    private readonly ConcurrentDictionary<string, ServedModel> _served = new(StringComparer.Ordinal);

    public MultiLoraHost Host => host;

    public async Task<ResolvedModel> ResolveAsync(string? model, string? user, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw ServingException.BadRequest("'model' is required: NAME, NAME@ALIAS or NAME/VERSION", "model");
        }
        var at = model.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return await ByAliasAsync(model[..at], model[(at + 1)..], model, ct);
        }
        var slash = model.LastIndexOf('/');
        if (slash >= 0)
        {
            return int.TryParse(model[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? await ByVersionAsync(model[..slash], version, model, ct)
                : throw ServingException.ModelNotFound($"The model '{model}' does not exist: after '/' comes a version number");
        }
        if (await store.GetActiveExperimentAsync(model, ct) is { } experiment)
        {
            var arm = TrafficRouter.Assign(experiment.Definition, user);
            var resolved = await ByVersionAsync(model, arm.ModelVersion, model, ct);
            return resolved with { ExperimentId = experiment.Id, Variant = arm.Variant };
        }
        return await ByAliasAsync(model, DefaultAlias, model, ct);
    }

    /// <summary>Materializes the package (once per digest) and loads it on the multi-LoRA host.</summary>
    public async Task<ServedModel> LoadAsync(ResolvedModel model, CancellationToken ct = default)
    {
        if (_served.TryGetValue(model.PackageDigest, out var served))
        {
            return served;
        }
        var local = await ModelPackages.MaterializeAsync(artifacts, model.PackageDigest, options.CacheRoot, ct);
        return _served[model.PackageDigest] = await host.LoadAsync(local, ct);
    }

    /// <summary>Model ids GET /v1/models lists: each known name (champion or experiment) and its experiment's versions.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default)
    {
        var ids = new List<string>();
        foreach (var name in options.ModelNames.Union(await store.ExperimentNamesAsync(ct)).Distinct(StringComparer.Ordinal))
        {
            var active = await store.GetActiveExperimentAsync(name, ct);
            if (active is not null || await tracking.GetVersionByAliasAsync(name, DefaultAlias, ct) is not null)
            {
                ids.Add(name);
            }
            ids.AddRange(active?.Definition.Variants.Select(v => $"{name}/{v.ModelVersion}") ?? []);
        }
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    private async Task<ResolvedModel> ByAliasAsync(string name, string alias, string asked, CancellationToken ct)
    {
        var version = await tracking.GetVersionByAliasAsync(name, alias, ct);
        return version is null ? throw await NotFoundAsync(name, asked, $"it has no '{alias}' alias", ct) : ToResolved(version, asked);
    }

    private async Task<ResolvedModel> ByVersionAsync(string name, int number, string asked, CancellationToken ct)
    {
        var version = await tracking.GetModelVersionAsync(name, number, ct);
        return version is null ? throw await NotFoundAsync(name, asked, $"it has no version {number}", ct) : ToResolved(version, asked);
    }

    private static ResolvedModel ToResolved(ModelVersion version, string asked) => ArtifactDigest.IsValid(version.Source)
        ? new ResolvedModel(version.ModelName, version.Version, version.Source)
        : throw new ServingException(500, $"model '{asked}' resolves to {version.ModelName}/{version.Version}, whose source " +
            $"'{version.Source}' is not a model package digest (sha256:…)", "server_error");

    private async Task<ServingException> NotFoundAsync(string name, string asked, string why, CancellationToken ct)
    {
        var reason = await tracking.GetRegisteredModelAsync(name, ct) is null ? $"no registered model '{name}'" : $"'{name}' is registered but {why}";
        return ServingException.ModelNotFound($"The model '{asked}' does not exist ({reason}).");
    }
}
