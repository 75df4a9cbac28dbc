namespace Pipeline.Infra.Tests.Bus;

/// <summary>A second sink, so fault events never mix with the consumers' own messages.</summary>
public sealed class FaultMessages
{
    public ReceivedMessages Messages { get; } = new();
}
