namespace Pipeline.Workflows.Contracts;

/// <summary>A model as the recipe passes it between steps: the digest of its package (base weights + optional LoRA
/// adapter, kind <c>model-package</c>), and where it is registered, when it is.</summary>
/// <param name="PackageDigest">"sha256:…" of the model package artifact.</param>
/// <param name="Name">Registered model name, or null for an unregistered candidate.</param>
/// <param name="Version">Registry version, or null.</param>
/// <param name="Label">What the model is to this run: base, champion, sft, final.</param>
public sealed record ModelRef(string PackageDigest, string? Name, int? Version, string Label)
{
    public override string ToString() => Name is null ? $"{Label} ({PackageDigest[..Math.Min(19, PackageDigest.Length)]})" : $"{Name}/{Version} ({Label})";
}
