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
    /// <summary>The recipe and the serving API (<c>Pipeline:Recipe</c>, <c>Pipeline:Serving</c>).</summary>
    Recipe = 32,
    All = Store | Artifacts | Tracking | Bus | Logging | Recipe,
}
