namespace Pipeline.Ui.Tests.Support;

/// <summary>What the flaky upload is asked to push: an artifact name, only there to show up in the UI.</summary>
public sealed record FlakyUploadInput(string Artifact);
