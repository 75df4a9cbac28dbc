namespace Pipeline.Infra.Configuration;

/// <summary>The <c>Pipeline:Ui</c> section: the audit UI that <c>pipeline server</c> and <c>pipeline ui</c> serve.</summary>
public sealed record UiSettings
{
    /// <summary>Port the audit UI listens on, at 127.0.0.1; 0 picks a free one. Default 8089.</summary>
    public int Port { get; init; } = 8089;

    /// <summary>Whether <c>pipeline server</c> serves it. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The API token that allows actions (signal, cancel, terminate) as <c>Authorization: Bearer TOKEN</c>;
    /// empty: the UI is read-only. Set it from the environment (<c>Pipeline__Ui__Token</c>), not in a checked-in file.</summary>
    public string Token { get; init; } = "";
}
