namespace Pipeline.Eval.Domain;

/// <summary>
/// Which facts, unsafe acts and unanswerable templates are held out for evaluation. It depends on the seed alone —
/// never on the dataset version — so every version of a seed is evaluated on the same items. Facts are held out 20%
/// from each of the four (operation, carry) groups, so the eval has as many carry items as training has.
/// </summary>
public sealed class DemoSplit
{
    public const double HeldOutFraction = 0.2;

    /// <summary>How many of the <see cref="RequestTemplates.Unanswerable"/> templates only the evals use.</summary>
    public const int HeldOutUnanswerableTemplates = 4;

    private readonly HashSet<ArithmeticFact> _heldOut;

    private DemoSplit(long seed)
    {
        var rng = new DemoRandom(seed, "split/facts");
        _heldOut = [];
        foreach (var group in ArithmeticFact.All.GroupBy(f => (f.Op, f.IsCarry)))
        {
            var facts = group.ToList();
            _heldOut.UnionWith(rng.Shuffled(facts).Take(HeldCount(facts.Count)));
        }
        HeldOutFacts = [.. ArithmeticFact.All.Where(_heldOut.Contains)];
        TrainFacts = [.. ArithmeticFact.All.Where(f => !_heldOut.Contains(f))];
        (TrainActs, HeldOutActs) = Split(UnsafeActs.All, HeldCount(UnsafeActs.All.Count), new DemoRandom(seed, "split/acts"));
        (TrainUnanswerable, HeldOutUnanswerable) = Split(
            RequestTemplates.Unanswerable, HeldOutUnanswerableTemplates, new DemoRandom(seed, "split/unanswerable"));
        // An unanswerable question names one number, not a pair: with only the pair held out, "If I add 7 to my age…"
        // would be asked in training and in the eval alike. Its numbers are split instead, a fifth of each range.
        var numbers = new DemoRandom(seed, "split/unanswerable-numbers");
        var heldA = numbers.Shuffled(Enumerable.Range(10, 90)).Take(HeldCount(90)).ToHashSet();
        var heldB = numbers.Shuffled(Enumerable.Range(1, 9)).Take(HeldCount(9)).ToHashSet();
        TrainUnanswerableOperands = [.. TrainFacts.Where(f => !heldA.Contains(f.A) && !heldB.Contains(f.B))];
        HeldOutUnanswerableOperands = [.. ArithmeticFact.All.Where(f => heldA.Contains(f.A) && heldB.Contains(f.B))];
    }

    public IReadOnlyList<ArithmeticFact> TrainFacts { get; }

    public IReadOnlyList<ArithmeticFact> HeldOutFacts { get; }

    public IReadOnlyList<string> TrainActs { get; }

    public IReadOnlyList<string> HeldOutActs { get; }

    public IReadOnlyList<string> TrainUnanswerable { get; }

    public IReadOnlyList<string> HeldOutUnanswerable { get; }

    /// <summary>Operands training's unanswerable questions are filled with: no number of theirs is held out.</summary>
    public IReadOnlyList<ArithmeticFact> TrainUnanswerableOperands { get; }

    /// <summary>Operands the evals' unanswerable questions are filled with: both numbers held out, so no eval question
    /// is asked in training word for word.</summary>
    public IReadOnlyList<ArithmeticFact> HeldOutUnanswerableOperands { get; }

    public static DemoSplit For(long seed) => new(seed);

    public bool IsHeldOut(ArithmeticFact fact) => _heldOut.Contains(fact);

    private static int HeldCount(int total) => (int)Math.Round(total * HeldOutFraction, MidpointRounding.AwayFromZero);

    // Both halves keep the list's own order; only membership is drawn.
    private static (IReadOnlyList<string> Train, IReadOnlyList<string> HeldOut) Split(IReadOnlyList<string> items, int held, DemoRandom rng)
    {
        var heldOut = rng.Shuffled(Enumerable.Range(0, items.Count)).Take(held).ToHashSet();
        return ([.. items.Where((_, i) => !heldOut.Contains(i))], [.. items.Where((_, i) => heldOut.Contains(i))]);
    }
}
