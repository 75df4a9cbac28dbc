namespace Pipeline.Ui;

/// <summary>Settings of the audit UI.</summary>
public sealed record UiOptions
{
    /// <summary>The API token that allows actions (signal, cancel, terminate) as <c>Authorization: Bearer TOKEN</c>.
    /// Null or empty: the UI is read-only and every action is refused.</summary>
    public string? Token { get; init; }

    /// <summary>Tracking experiments whose runs carry the stages' curves (tag <c>pipeline.workflow_id</c>).</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    /// <summary>How often the list refreshes while a run is open, in the page. Default 5 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);
}
