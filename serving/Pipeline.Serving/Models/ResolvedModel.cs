namespace Pipeline.Serving.Models;

/// <summary>What a request's <c>model</c> field resolved to: a registry version (and its package), and, when an
/// experiment routed it, the experiment start and variant.</summary>
public sealed record ResolvedModel(string Name, int Version, string PackageDigest, string? ExperimentId = null, string? Variant = null)
{
    /// <summary>"NAME/VERSION", the response's <c>model</c>.</summary>
    public string Id => $"{Name}/{Version}";
}
