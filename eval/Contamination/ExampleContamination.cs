namespace Pipeline.Eval.Contamination;

/// <summary>One eval example's check: of its <see cref="NGrams"/> n-grams (1 for a text shorter than n words),
/// <see cref="Matched"/> occur in training text.</summary>
public sealed record ExampleContamination(string Id, int Line, int NGrams, int Matched, bool Contaminated)
{
    public double Overlap => NGrams == 0 ? 0 : (double)Matched / NGrams;
}
