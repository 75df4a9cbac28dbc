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

    /// <summary>The SFT model as one set of weights (base + SFT adapter folded in), reloaded clean so a new adapter can
    /// be attached; also returns the SFT adapter for the composition at the end (null when SFT was full-weight).</summary>
    public static (LlamaModel Model, LoraAdapter? SftAdapter) MergedSft(Loaded loaded, string dir)
    {
        if (loaded.AdapterDir is null) return (loaded.Model, null);
        var sft = PeftAdapterFormat.Load(loaded.AdapterDir, "sft", loaded.Model.Config);
        var m = loaded.Model;
        m.AddAdapter(sft);
        m.SetActiveAdapter("sft");
        m.MergeAdapter();
        LlamaCheckpoint.SaveMerged(m, dir);
        return (LlamaCheckpoint.Load(dir), PeftAdapterFormat.Load(loaded.AdapterDir, "sft", loaded.Model.Config));
    }

    /// <summary>A preference stage's product labelled "final": with a trained adapter over a LoRA SFT model, the two
    /// adapters composed into one on the original base (<see cref="LoraComposition.Concat"/>), so the served model is one
    /// LoRA on the shared base; otherwise the merged model, whole.</summary>
    public static async Task<ModelRef> PutFinalAsync(IArtifactStore store, Loaded loaded, LlamaModel merged, LoraAdapter? sftAdapter, LoraAdapter? adapter,
        ModelRef sft, string runDir, string workflowId, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        if (adapter is not null && sftAdapter is not null)
        {
            var composed = LoraComposition.Concat("final", sftAdapter, adapter, merged.Config);
            return await PutAdapterAsync(store, composed, loaded.BaseDir, loaded.Package.BaseDigest, loaded.Tokenizer, Path.Combine(runDir, "adapter"), "final",
                workflowId, parameters, ct);
        }
        if (adapter is not null) merged.MergeAdapter();
        return await PutModelAsync(store, merged, loaded.Tokenizer, Path.Combine(runDir, "model"), "final", workflowId, [sft.PackageDigest], parameters, ct);
    }

    /// <summary>A fresh trainable adapter named <paramref name="name"/> (all linear layers) on <paramref name="merged"/>,
    /// active; with rank 0, no adapter (null) and every weight of the model trainable instead.</summary>
    public static LoraAdapter? AttachFresh(LlamaModel merged, string name, int rank, double alpha, ulong seed)
    {
        if (rank == 0)
        {
            merged.SetBaseTrainable(true);
            return null;
        }
        var adapter = LoraAdapter.Create(name, new LoraConfig { R = rank, Alpha = alpha, Targets = LoraTargets.Parse(["all-linear"]) }, merged.Config, seed);
        merged.AddAdapter(adapter);
        merged.SetActiveAdapter(name);
        adapter.SetTrainable(true);
        return adapter;
    }
}
