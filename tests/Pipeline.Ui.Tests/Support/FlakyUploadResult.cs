namespace Pipeline.Ui.Tests.Support;

/// <summary>Where the upload would have landed; never returned, the upload always fails.</summary>
public sealed record FlakyUploadResult(string Uri);
