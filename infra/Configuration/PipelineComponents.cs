namespace Pipeline.Infra.Configuration;

/// <summary>The parts of the configuration a command uses; only those are validated, so `pipeline workflow list`
/// does not need S3 credentials. Unknown keys and unconvertible values are errors whatever a command uses.</summary>
[Flags]
public enum PipelineComponents
{
    None = 0,
    Store = 1,
    Artifacts = 2,
    Tracking = 4,
    Bus = 8,
    Logging = 16,
    All = Store | Artifacts | Tracking | Bus | Logging,
}
