namespace Pipeline.Serving.Simulation;

/// <summary>A simulated traffic run against a serving URL.</summary>
public sealed record TrafficSimulationOptions
{
    /// <summary>The server's base URL (<see cref="ServingHost.Url"/>).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The model NAME requested (the router picks the variant), e.g. "arith-demo".</summary>
    public required string Model { get; init; }

    /// <summary>A dataset version folder; prompts come from its eval/in_domain.jsonl.</summary>
    public required string DatasetDir { get; init; }

    /// <summary>Distinct users, named user-0000, user-0001, …. Default 100.</summary>
    public int Users { get; init; } = 100;

    /// <summary>Chat completions sent in all. Default 200.</summary>
    public int Requests { get; init; } = 200;

    /// <summary>Requests in flight at once. Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Draws each request's user and prompt; the same seed sends the same requests. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>max_tokens per request. Default 40 (the demo suites' generation length).</summary>
    public int MaxTokens { get; init; } = 40;

    public void Validate()
    {
        if (Users < 1 || Requests < 0 || Concurrency < 1 || MaxTokens < 1)
        {
            throw new ArgumentException($"simulation needs users ≥ 1, requests ≥ 0, concurrency ≥ 1, max_tokens ≥ 1 (got {Users}, {Requests}, {Concurrency}, {MaxTokens})");
        }
    }
}
