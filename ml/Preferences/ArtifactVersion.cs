namespace Pipeline.ML.Preferences;

/// <summary>One written version of an artifact: its number, its directory (<c>OUT/vN</c>), the sha256 of its main
/// file ("sha256:…") and the summary.json it holds.</summary>
public sealed record ArtifactVersion(int Version, string Directory, string Sha256, string SummaryPath);
