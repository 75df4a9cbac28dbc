using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Generation;

/// <summary>
/// Batched autoregressive decoding. Prompts are left-padded to a common length (padding is masked out of attention
/// and positions count real tokens only, as HF does with an attention mask), prefilled in one pass, then decoded one
/// token per step against the KV cache.
/// </summary>
public sealed class Generator(LlamaModel model, ByteLevelBpeTokenizer? tokenizer = null)
{
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0 || prompts.Any(p => p.Length == 0))
        {
            throw new ArgumentException("every prompt needs at least one token");
        }
        if (options.StopSequences.Count > 0 && tokenizer is null)
        {
            throw new ArgumentException("stop sequences need a tokenizer to decode the text");
        }
        int batch = prompts.Count, promptLen = prompts.Max(p => p.Length);
        var capacity = promptLen + options.MaxNewTokens;
        if (capacity > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException(
                $"prompt ({promptLen}) + max_new_tokens ({options.MaxNewTokens}) exceeds max_position_embeddings ({model.Config.MaxPositionEmbeddings})");
        }
        var keyStart = prompts.Select(p => promptLen - p.Length).ToArray();
        var sequences = new List<int>[batch];       // every row, left padding included (pad = the row's first token)
        for (var b = 0; b < batch; b++)
        {
            sequences[b] = [.. Enumerable.Repeat(prompts[b][0], keyStart[b]), .. prompts[b]];
        }
        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var finish = new FinishReason?[batch];
        var sampler = new Sampler(options);
        var cache = new KvCache(model.Config, batch, capacity);

        var logits = Step(cache, sequences, keyStart, promptLen, 0, options.UseCache);
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            var next = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                var row = logits.Span.Slice(b * model.Config.VocabSize, model.Config.VocabSize);
                next[b] = finish[b] is null ? sampler.Next(row) : sequences[b][^1];
                if (finish[b] is null)
                {
                    generated[b].Add(next[b]);
                    finish[b] = Finished(generated[b], options);
                }
                sequences[b].Add(next[b]);
            }
            if (finish.All(f => f is not null) || step == options.MaxNewTokens - 1)
            {
                break;
            }
            logits = Step(cache, sequences, keyStart, 1, promptLen + step, options.UseCache);
        }
        return Enumerable.Range(0, batch).Select(b => Result(generated[b], finish[b] ?? FinishReason.Length, options)).ToList();
    }

    // Runs the newest `queries` tokens of every row (or, without a cache, the whole sequence again).
    private Tensors.Tensor Step(KvCache cache, List<int>[] sequences, int[] keyStart, int queries, int past, bool useCache)
    {
        if (!useCache)
        {
            queries += past;
            past = 0;
            cache.Length = 0;
        }
        var batch = sequences.Length;
        var ids = new int[batch * queries];
        var positions = new int[batch * queries];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < queries; t++)
            {
                var pos = past + t;
                ids[b * queries + t] = sequences[b][pos];
                positions[b * queries + t] = Math.Max(0, pos - keyStart[b]);
            }
        }
        return model.ForwardCached(ids, positions, keyStart, cache, queries);
    }

    private FinishReason? Finished(List<int> tokens, GenerationOptions options)
    {
        if (options.StopTokenIds.Contains(tokens[^1]))
        {
            return FinishReason.StopToken;
        }
        if (options.StopSequences.Count > 0)
        {
            var text = tokenizer!.Decode(tokens);
            if (options.StopSequences.Any(s => text.Contains(s, StringComparison.Ordinal)))
            {
                return FinishReason.StopSequence;
            }
        }
        return null;
    }

    private GenerationResult Result(List<int> tokens, FinishReason reason, GenerationOptions options)
    {
        string? text = tokenizer?.Decode(tokens.Where(t => !options.StopTokenIds.Contains(t)));
        if (text is not null && reason == FinishReason.StopSequence)
        {
            var cut = options.StopSequences.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).Min();
            text = text[..cut];
        }
        return new GenerationResult([.. tokens], text, reason);
    }
}
