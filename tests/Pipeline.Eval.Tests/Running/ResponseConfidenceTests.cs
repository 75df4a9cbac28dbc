using Pipeline.Eval.Running;
using Pipeline.Eval.Suites;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Tests.Running;

public sealed class ResponseConfidenceTests
{
    private static readonly ByteLevelBpeTokenizer Tokenizer = new BpeTrainer(new BpeTrainerOptions { VocabSize = 260 }).Train(["a"]);

    [Fact]
    public void Of_Answer_IsTheProbabilityOfTheLastIntegersTokensOnly()
    {
        // "83 - 6 = 77." then <|im_end|>: 13 tokens, one per character and one for the end.
        var tokens = Response("83 - 6 = 77.");
        var logps = Enumerable.Range(0, tokens.Length).Select(i => -0.01f * (i + 1)).ToArray();

        var answer = ResponseConfidence.Of(ConfidenceKind.Answer, tokens, logps, Tokenizer);

        // "77" is characters 9 and 10: log-probs −0.10 and −0.11.
        Assert.Equal(Math.Exp(-0.21), answer, 6);
    }

    [Fact]
    public void Of_Sequence_IsTheProbabilityOfEveryToken()
    {
        var tokens = Response("83 - 6 = 77.");
        var logps = Enumerable.Repeat(-0.1f, tokens.Length).ToArray();

        Assert.Equal(Math.Exp(-0.1f * (double)tokens.Length), ResponseConfidence.Of(ConfidenceKind.Sequence, tokens, logps, Tokenizer), 6);
    }

    [Fact]
    public void Of_AnswerWithoutAnInteger_FallsBackToTheWholeResponse()
    {
        var tokens = Response("I don't know.");
        var logps = Enumerable.Repeat(-0.05f, tokens.Length).ToArray();

        Assert.Equal(Math.Exp(-0.05f * (double)tokens.Length), ResponseConfidence.Of(ConfidenceKind.Answer, tokens, logps, Tokenizer), 6);
    }

    [Fact]
    public void Of_NegativeAnswer_IncludesItsSign()
    {
        var tokens = Response("3 - 9 = -6.");
        var logps = Enumerable.Range(0, tokens.Length).Select(i => i == 8 || i == 9 ? -1f : 0f).ToArray();

        Assert.Equal(Math.Exp(-2.0), ResponseConfidence.Of(ConfidenceKind.Answer, tokens, logps, Tokenizer), 9);
    }

    private static int[] Response(string text) => [.. Tokenizer.Encode(text), Tokenizer.TokenToId(ChatTemplate.ImEnd)!.Value];
}
