using Pipeline.Activities.Support;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>Loading a model package into memory and storing what a stage trained as a new package.</summary>
internal static class StageModels
{
    public sealed record Loaded(ModelPackage Package, string BaseDir, string? AdapterDir, LlamaModel Model, ByteLevelBpeTokenizer Tokenizer);

    public static async Task<Loaded> LoadAsync(IArtifactStore store, RecipeWorkspace workspace, ModelRef model, CancellationToken ct)
    {
        var package = await ModelPackages.ReadAsync(store, model.PackageDigest, ct);
        var local = await ModelPackages.MaterializeAsync(store, model.PackageDigest, workspace.Cache, ct);
        var tokenizerPath = new[] { local.AdapterDir, local.BaseDir }.OfType<string>().Select(d => Path.Combine(d, "tokenizer.json")).FirstOrDefault(File.Exists)
            ?? throw Failures.InvalidInput($"model {model} has no tokenizer.json in its base or adapter folder");
        return new Loaded(package, local.BaseDir, local.AdapterDir, LlamaCheckpoint.Load(local.BaseDir), ByteLevelBpeTokenizer.Load(tokenizerPath));
    }

    /// <summary>Stores a trained adapter over <paramref name="baseDigest"/> and the package naming both.</summary>
    public static async Task<ModelRef> PutAdapterAsync(IArtifactStore store, LoraAdapter adapter, string baseDir, string baseDigest,
        ByteLevelBpeTokenizer tokenizer, string dir, string label, string workflowId, IReadOnlyDictionary<string, string> properties, CancellationToken ct)
    {
        PeftAdapterFormat.Save(adapter, dir, baseDir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        var stored = await store.PutDirectoryAsync(dir, new ArtifactMetadata(ArtifactKinds.Adapter, $"{label}-adapter", DateTimeOffset.UtcNow, workflowId, [baseDigest], properties), ct);
        return await PutPackageAsync(store, new ModelPackage(baseDigest, stored.Digest), label, workflowId, properties, ct);
    }

    /// <summary>Stores a whole model folder (pretraining, or a full-weight stage) and its package.</summary>
    public static async Task<ModelRef> PutModelAsync(IArtifactStore store, LlamaModel model, ByteLevelBpeTokenizer tokenizer, string dir, string label,
        string workflowId, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string> properties, CancellationToken ct)
    {
        LlamaCheckpoint.SaveMerged(model, dir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        var stored = await store.PutDirectoryAsync(dir, new ArtifactMetadata(ArtifactKinds.Model, label, DateTimeOffset.UtcNow, workflowId, inputs, properties), ct);
        return await PutPackageAsync(store, new ModelPackage(stored.Digest, null), label, workflowId, properties, ct);
    }

    private static async Task<ModelRef> PutPackageAsync(IArtifactStore store, ModelPackage package, string label, string workflowId,
        IReadOnlyDictionary<string, string> properties, CancellationToken ct)
    {
        var stored = await ModelPackages.PutAsync(store, package, new ArtifactMetadata(ModelPackages.Kind, label, DateTimeOffset.UtcNow, workflowId, null, properties), ct);
        return new ModelRef(stored.Digest, null, null, label);
    }
}
