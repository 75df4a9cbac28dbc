namespace Pipeline.Infra.Configuration;

/// <summary>The configuration cannot be used; <see cref="Problems"/> lists every reason at once, one per line in the message.</summary>
public sealed class PipelineConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
    : Exception("invalid configuration:" + string.Concat(problems.Select(p => "\n  " + p)))
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;
}
