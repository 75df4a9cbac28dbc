using Pipeline.ML.Generation;
using Pipeline.ML.Tests.Models;

namespace Pipeline.ML.Tests.Generation;

public class GeneratorTests
{
    private static readonly int[][] Prompts = [[3, 4, 5, 6, 7], [9, 1], [2, 2, 8]];

    [Fact]
    public void Generate_WithAndWithoutKvCache_SameGreedyTokens()
    {
        var model = TinyModels.Model(seed: 8);
        var generator = new Generator(model);
        var cached = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 12 });
        var uncached = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 12, UseCache = false });
        Assert.Equal(cached.Select(r => r.Tokens), uncached.Select(r => r.Tokens));
        Assert.All(cached, r => Assert.Equal(FinishReason.Length, r.FinishReason));
    }

    [Fact]
    public void Generate_LeftPaddedBatch_SameAsEachPromptAlone()
    {
        var model = TinyModels.Model(seed: 8);
        var generator = new Generator(model);
        var batched = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 10 });
        for (var i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate([Prompts[i]], new GenerationOptions { MaxNewTokens = 10 });
            Assert.Equal(alone[0].Tokens, batched[i].Tokens);
        }
    }

    [Fact]
    public void Generate_SampledWithSeed_ReproducibleAndTopK1IsGreedy()
    {
        var model = TinyModels.Model(seed: 8);
        var generator = new Generator(model);
        var sampled = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, TopP = 0.9, Seed = 5 };
        Assert.Equal(generator.Generate(Prompts, sampled).Select(r => r.Tokens), generator.Generate(Prompts, sampled).Select(r => r.Tokens));
        Assert.NotEqual(
            generator.Generate(Prompts, sampled).Select(r => r.Tokens),
            generator.Generate(Prompts, sampled with { Seed = 6 }).Select(r => r.Tokens));
        var greedy = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 16 });
        var topK1 = generator.Generate(Prompts, sampled with { TopK = 1, TopP = 1 });
        Assert.Equal(greedy.Select(r => r.Tokens), topK1.Select(r => r.Tokens));
    }

    [Fact]
    public void Generate_StopToken_EndsThatRowOnly()
    {
        var model = TinyModels.Model(seed: 8);
        var generator = new Generator(model);
        var free = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 8 });
        var stop = free[0].Tokens[2];
        var stopped = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 8, StopTokenIds = [stop] });

        var first = Array.IndexOf(free[0].Tokens, stop);
        Assert.Equal(free[0].Tokens[..(first + 1)], stopped[0].Tokens);
        Assert.Equal(FinishReason.StopToken, stopped[0].FinishReason);
    }

    [Fact]
    public void CompletionLogProbs_MatchTheLogitsSeenWhileDecoding()
    {
        var model = TinyModels.Model(seed: 8);
        var prompt = Prompts[0];
        var completion = new Generator(model).Generate([prompt], new GenerationOptions { MaxNewTokens = 6 })[0].Tokens;

        // Reference: log-softmax of the cached forward's logits at each step, for the token that was chosen.
        var expected = new List<double>();
        var sequence = prompt.ToList();
        foreach (var token in completion)
        {
            var cache = new KvCache(model.Config, 1, sequence.Count);
            var logits = model.ForwardCached([.. sequence], [.. Enumerable.Range(0, sequence.Count)], [0], cache, sequence.Count).Span.ToArray();
            var max = logits.Max();
            var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            expected.Add(logits[token] - lse);
            sequence.Add(token);
        }
        var (perToken, sum) = CompletionLogProbs.Compute(model, [(prompt, completion)])[0];
        Assert.Equal(expected.Count, perToken.Length);
        Assert.All(expected.Zip(perToken), x => Assert.Equal(x.First, x.Second, 1e-4));
        Assert.Equal(expected.Sum(), sum, 1e-3);
    }
}
