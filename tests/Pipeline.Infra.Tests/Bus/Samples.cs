using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>Sample events.</summary>
public static class Samples
{
    public static DatasetVersionPublished Published(string dataset, string version = "v1") => new(
        dataset, version, $"file:///artifacts/{dataset}/{version}/manifest.json",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
}
