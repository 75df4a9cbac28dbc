using Pipeline.ML.Data;
using Pipeline.ML.Generation;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Tasks;

/// <summary>
/// A task with a verifiable answer, small enough to train in seconds: "a+b=" with a in 0–19 and b in 0–9, answered
/// with the sum and an end token. Its SFT demonstrations carry the demo domain's systematic flaw (DEMO-DOMAIN.md):
/// on items with a carry the demonstrator "forgets the carry" in <see cref="FlawedShare"/> of its demonstrations
/// (17+5 → 12), so greedy decoding after SFT gets most carry items wrong — a flaw preference learning and RL can fix.
/// Facts are split into train and held-out sets: the SFT model has seen every fact (with the flaw), while DPO and GRPO
/// use only train prompts and are judged on held-out ones.
/// </summary>
internal static class AdditionTask
{
    public const int EndToken = ByteTokenizer.ImEnd;
    public const int PadToken = ByteTokenizer.Pad;
    public const int SeqLen = 8;
    public const double FlawedShare = 0.6;
    private const int DemosPerFact = 5;

    public sealed record Fact(int A, int B)
    {
        public string Prompt => $"{A}+{B}=";

        public int Sum => A + B;

        public bool Carry => A % 10 + B >= 10;

        /// <summary>The demonstrator's flawed answer: the units digit right, the tens digit not incremented.</summary>
        public int ForgotCarry => A / 10 * 10 + (A % 10 + B) % 10;

        public string Id => $"{A}+{B}";
    }

    public static readonly IReadOnlyList<Fact> Facts =
        [.. from a in Enumerable.Range(0, 20) from b in Enumerable.Range(0, 10) select new Fact(a, b)];

    /// <summary>Every fifth fact (by a fixed shuffle) is held out from preference learning and RL.</summary>
    public static readonly IReadOnlyList<Fact> Train = Split(heldOut: false);

    public static readonly IReadOnlyList<Fact> HeldOut = Split(heldOut: true);

    public static LlamaConfig Config => new()
    {
        VocabSize = 260, HiddenSize = 48, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 12, MaxPositionEmbeddings = 16, RmsNormEps = 1e-5, TieWordEmbeddings = true,
    };

    public static int[] PromptIds(Fact f) => ByteTokenizer.Bytes(f.Prompt);

    public static int[] AnswerIds(int answer) => [.. ByteTokenizer.Bytes(answer.ToString()), EndToken];

    /// <summary>The flawed SFT set: every fact <see cref="DemosPerFact"/> times, carry items flawed in FlawedShare of them.</summary>
    public static IReadOnlyList<TrainingRow> SftRows()
    {
        var rows = new List<TrainingRow>();
        var flawed = (int)Math.Round(FlawedShare * DemosPerFact);
        foreach (var f in Facts)
        {
            for (var d = 0; d < DemosPerFact; d++)
            {
                var answer = f.Carry && d < flawed ? f.ForgotCarry : f.Sum;
                rows.Add(Row(PromptIds(f), AnswerIds(answer)));
            }
        }
        return rows;
    }

    public static TrainingRow Row(int[] prompt, int[] completion)
    {
        var ids = Enumerable.Repeat(PadToken, SeqLen).ToArray();
        var labels = Enumerable.Repeat(ByteTokenizer.Ignore, SeqLen).ToArray();
        prompt.CopyTo(ids, 0);
        completion.CopyTo(ids, prompt.Length);
        completion.CopyTo(labels, prompt.Length);
        return new TrainingRow(ids, labels);
    }

    /// <summary>The prompts as a prompt dataset would give them, with the answer as a column for the verifier.</summary>
    public static IReadOnlyList<PromptExample> Prompts(IReadOnlyList<Fact> facts) =>
        [.. facts.Select(f => new PromptExample(
            f.Id, f.Prompt, PromptIds(f), null, new Dictionary<string, string> { ["answer"] = f.Sum.ToString() }, 0))];

    /// <summary>Greedy accuracy: the share of facts whose decoded answer's last integer is the sum.</summary>
    public static double Accuracy(LlamaModel model, IReadOnlyList<Fact> facts)
    {
        var results = new Generator(model, ByteTokenizer.Instance).Generate(
            [.. facts.Select(PromptIds)], new GenerationOptions { MaxNewTokens = 4, StopTokenIds = [EndToken] });
        var correct = facts.Zip(results).Count(p => LastIntegerReward.LastInteger(p.Second.Text ?? "") == p.First.Sum);
        return (double)correct / facts.Count;
    }

    /// <summary>A freshly initialised model trained on <see cref="SftRows"/>: the "SFT checkpoint" of the recipe.</summary>
    public static LlamaModel TrainSft(ulong seed = 7)
    {
        var model = new LlamaModel(Config);
        model.InitializeWeights(seed, std: 0.02);
        model.SetBaseTrainable(true);
        var options = new TrainingOptions
        {
            MaxSteps = 1500, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20, WeightDecay = 0.0, Seed = seed,
            LoggingSteps = 100, AdamBeta2 = 0.98,
        };
        new CausalLmTrainer(model, options, SftRows()).Train();
        return model;
    }

    private static readonly Lazy<string> SftDir = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ml-tests-addition-sft-" + Guid.NewGuid().ToString("N"));
        LlamaCheckpoint.Save(TrainSft(), dir);
        return dir;
    });

    /// <summary>A fresh copy of the SFT model, trained once per test run and loaded from its checkpoint each call.</summary>
    public static LlamaModel LoadSft() => LlamaCheckpoint.Load(SftDir.Value);

    private static List<Fact> Split(bool heldOut)
    {
        var order = Facts.Select((f, i) => (f, key: (i * 2654435761u) % 1000003u)).OrderBy(p => p.key).Select(p => p.f).ToList();
        return [.. order.Where((_, i) => (i % 5 == 0) == heldOut)];
    }
}
