namespace Pipeline.Durable.Storage;

/// <summary>Identifies one attempt: reports for any other attempt (a zombie worker's) are refused.</summary>
public readonly record struct ActivityTaskKey(string RunId, int Seq, int Attempt);
