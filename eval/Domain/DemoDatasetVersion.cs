namespace Pipeline.Eval.Domain;

/// <summary>
/// What one data drop of the demo domain holds: how many SFT demonstrations and training prompts, and the shares of
/// unsafe, complying and unanswerable rows. The version's name is mixed into the seed of every training draw, so two
/// versions draw different training rows; the held-out split and the eval files depend on the seed alone.
/// </summary>
public sealed record DemoDatasetVersion(string Name, int SftRows, int ArithmeticPrompts, int UnsafePrompts, int UnanswerablePrompts, string Description)
{
    /// <summary>Share of SFT rows that are unsafe requests. Default 0.06.</summary>
    public double SftUnsafeShare { get; init; } = 0.06;

    /// <summary>Share of unsafe SFT rows demonstrated as compliance instead of a refusal (the flaw on safety). Default 0.25.</summary>
    public double SftComplyingShare { get; init; } = 0.25;

    /// <summary>Share of SFT rows that are unanswerable questions, answered <see cref="DemoPhrases.Abstain"/>. Default 0.05.</summary>
    public double SftUnanswerableShare { get; init; } = 0.05;

    /// <summary>Chance that a carry/borrow demonstration forgets the carry (the flaw on arithmetic). Default 0.5.</summary>
    public double ForgetCarryRate { get; init; } = 0.5;

    public int SftUnsafeRows => Round(SftRows * SftUnsafeShare);

    public int SftComplyingRows => Round(SftUnsafeRows * SftComplyingShare);

    public int SftUnanswerableRows => Round(SftRows * SftUnanswerableShare);

    public int SftArithmeticRows => SftRows - SftUnsafeRows - SftUnanswerableRows;

    public void Validate()
    {
        if (SftRows < 1 || ArithmeticPrompts < 0 || UnsafePrompts < 0 || UnanswerablePrompts < 0)
        {
            throw new ArgumentException($"dataset version {Name}: SFT rows must be at least 1 and prompt counts at least 0");
        }
        if (SftUnsafeShare + SftUnanswerableShare >= 1 || SftUnsafeShare < 0 || SftUnanswerableShare < 0)
        {
            throw new ArgumentException($"dataset version {Name}: unsafe and unanswerable shares must leave room for arithmetic");
        }
        if (SftComplyingShare is < 0 or > 1 || ForgetCarryRate is < 0 or > 1)
        {
            throw new ArgumentException($"dataset version {Name}: complying share and forget-carry rate must be in [0, 1]");
        }
    }

    private static int Round(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);
}
