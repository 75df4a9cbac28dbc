using Pipeline.Durable;

namespace Pipeline.Workflows.Contracts;

/// <summary>The serving layer's A/B experiments, driven over its admin API.</summary>
public interface IRolloutActivities
{
    [Activity]
    Task<ExperimentRef> StartExperimentAsync(StartExperimentRequest request);

    [Activity]
    Task<ExperimentStats> ReadExperimentAsync(ExperimentRef experiment);

    /// <summary>Ends the experiment: all traffic goes to whatever <c>champion</c> points at.</summary>
    [Activity]
    Task EndExperimentAsync(ExperimentRef experiment);

    [Activity]
    Task<SimulationResult> SimulateTrafficAsync(SimulateTrafficRequest request);
}
