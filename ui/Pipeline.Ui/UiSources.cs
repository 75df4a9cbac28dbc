using Pipeline.Durable.Client;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tracking;

namespace Pipeline.Ui;

/// <summary>What the audit UI reads: the workflow store (through a client that knows the workflow types, so queries
/// can be answered by replay), the artifact store (gate decisions, eval runs, preference sets) and the tracking store
/// (training curves, the model registry).</summary>
public sealed record UiSources(WorkflowClient Client, IArtifactStore Artifacts, ITrackingStore Tracking);
