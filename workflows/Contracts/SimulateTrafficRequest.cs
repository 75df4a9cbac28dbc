namespace Pipeline.Workflows.Contracts;

/// <summary>Demo/testing: send <paramref name="Requests"/> prompts from the dataset's held-out distribution to the
/// serving API as <paramref name="Users"/> users, score each answer with the dataset's verifier and post it as feedback.</summary>
public sealed record SimulateTrafficRequest(string ModelName, DatasetVersionRef Dataset, int Requests, int Users, ulong Seed);
