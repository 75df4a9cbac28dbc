using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

/// <summary>A synthetic corpus (sentences over a fixed word list, seeded) and a tokenizer trained on it once.</summary>
internal static class TestTokenizers
{
    private static readonly string[] Words =
    [
        "the", "model", "learns", "to", "answer", "questions", "about", "tokens", "and", "merges", "while",
        "training", "on", "a", "small", "corpus", "of", "text", "it's", "we'll", "data", "pipeline", "42", "2024",
        "héllo", "naïve", "東京", "日本語", "😀", "emoji", "can't", "fast", "slow", "reward", "policy", "value",
    ];

    private static readonly Lazy<ByteLevelBpeTokenizer> LazyTrained = new(() =>
        new BpeTrainer(new BpeTrainerOptions { VocabSize = 400, MinFrequency = 2 }).Train(Corpus(seed: 1, sentences: 3000)));

    public static ByteLevelBpeTokenizer Trained => LazyTrained.Value;

    public static IEnumerable<string> Corpus(int seed, int sentences)
    {
        var random = new Random(seed);
        for (var s = 0; s < sentences; s++)
        {
            var count = random.Next(3, 12);
            var words = Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]);
            yield return string.Join(' ', words) + (random.Next(3) == 0 ? ".\n" : ", ");
        }
    }
}
