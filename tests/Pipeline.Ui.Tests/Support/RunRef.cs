namespace Pipeline.Ui.Tests.Support;

/// <summary>One run of the UI's world: its workflow id and run id.</summary>
public sealed record RunRef(string WorkflowId, string RunId);
