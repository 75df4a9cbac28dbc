using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>Which policy decided: its name, file and the file's sha256, and the bootstrap its significance tests used.</summary>
public sealed record PolicyIdentity(string Name, string? Description, string Path, string Sha256, BootstrapSettings Bootstrap)
{
    public static PolicyIdentity Of(GatePolicy policy) =>
        new(policy.Name, policy.Description, policy.Path, policy.Sha256, policy.Bootstrap);
}
