namespace Pipeline.Workflows.Contracts;

/// <summary>One variant's online numbers since the experiment started.</summary>
public sealed record VariantStats(long Requests, long Errors, long Feedback, long Positive, double LatencyP95Ms)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public double PositiveRate => Feedback == 0 ? 0 : (double)Positive / Feedback;
}
