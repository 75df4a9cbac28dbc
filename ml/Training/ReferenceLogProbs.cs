using System.Security.Cryptography;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

/// <summary>
/// The frozen reference's completion log-prob sums for every train and eval pair, computed once before training
/// (TRL's precompute_ref_log_probs) and kept in ref_logps.safetensors in the run directory, keyed by a hash of the
/// pairs' tokens: a resumed run reads them back and never recomputes them from weights that have since been trained.
/// Values are float32, so the ones a run trains with are exactly the ones a resumed run reads.
/// </summary>
internal sealed class ReferenceLogProbs
{
    public const string FileName = "ref_logps.safetensors";
    private const string KeyField = "pairs_sha256";

    private ReferenceLogProbs(float[] train, float[] eval)
    {
        Train = train;
        Eval = eval;
    }

    /// <summary>(chosen, rejected) sums, pair after pair: (2·pairs).</summary>
    public float[] Train { get; }

    public float[] Eval { get; }

    /// <summary>
    /// The reference log-probs a run trains with: zeros when the loss needs none (SimPO); else the cache in
    /// <paramref name="outputDir"/> when it exists; else — only before the first step, while the model still IS the
    /// reference — computed now and written there. A resumed run (<paramref name="step"/> &gt; 0) without the cache
    /// throws: recomputing from trained weights would silently train against the wrong model.
    /// </summary>
    public static ReferenceLogProbs Obtain(
        LlamaModel model, IReadOnlyList<PreferenceExample> train, IReadOnlyList<PreferenceExample> eval, DpoOptions options,
        int batchSize, int seqLen, string? outputDir, long step, out bool computed)
    {
        computed = false;
        if (!DpoLoss.UsesReference(options.LossType))
        {
            return Zero(train.Count, eval.Count);
        }
        var key = Key(train, eval);
        var path = outputDir is null ? null : Path.Combine(outputDir, FileName);
        if (path is not null && Load(path, key, train.Count, eval.Count) is { } cached)
        {
            return cached;
        }
        if (step > 0)
        {
            throw new InvalidOperationException(
                $"this run resumed at step {step} but {path ?? "its output directory"} has no {FileName}: " +
                "the reference log-probs cannot be recomputed from trained weights");
        }
        var reference = Compute(model, train, eval, batchSize, seqLen, options.PadTokenId);
        computed = true;
        if (path is not null)
        {
            reference.Save(path, key);
        }
        return reference;
    }

    /// <summary>Zeros for a loss with no reference (SimPO).</summary>
    public static ReferenceLogProbs Zero(int trainPairs, int evalPairs) => new(new float[2 * trainPairs], new float[2 * evalPairs]);

    public static (double Chosen, double Rejected)[] Slice(float[] all, IReadOnlyList<int> pairs) =>
        [.. pairs.Select(i => ((double)all[2 * i], (double)all[2 * i + 1]))];

    /// <summary>Runs the model as the reference: with its active LoRA adapter switched off (the base alone, as TRL does
    /// for a PEFT model with no ref_model), no dropout. The adapter is switched back on afterwards.</summary>
    public static ReferenceLogProbs Compute(
        LlamaModel model, IReadOnlyList<PreferenceExample> train, IReadOnlyList<PreferenceExample> eval, int batchSize, int seqLen, int padId)
    {
        var adapter = model.ActiveAdapter?.Name;
        model.SetActiveAdapter(null);
        try
        {
            return new ReferenceLogProbs(Sums(model, train, batchSize, seqLen, padId), Sums(model, eval, batchSize, seqLen, padId));
        }
        finally
        {
            model.SetActiveAdapter(adapter);
        }
    }

    private static float[] Sums(LlamaModel model, IReadOnlyList<PreferenceExample> pairs, int batchSize, int seqLen, int padId)
    {
        var sums = new float[2 * pairs.Count];
        for (var start = 0; start < pairs.Count; start += batchSize)
        {
            var batch = PreferenceBatch.Create(pairs.Skip(start).Take(batchSize).ToList(), seqLen, padId);
            var acts = model.CreateActivations(batch.Tokens.Batch, seqLen);
            model.Forward(batch.Tokens, acts);
            var logp = new Tensor(batch.Tokens.Rows);
            model.Ops.TokenLogProbs(acts.Logits, batch.Tokens.Targets, logp);
            for (var i = 0; i < batch.Pairs; i++)
            {
                sums[2 * (start + i)] = (float)batch.Sum(logp.Span, i);
                sums[2 * (start + i) + 1] = (float)batch.Sum(logp.Span, batch.Pairs + i);
            }
        }
        return sums;
    }

    /// <summary>A hash of every pair's tokens, train then eval: the cache is valid only for exactly these pairs.</summary>
    public static string Key(IReadOnlyList<PreferenceExample> train, IReadOnlyList<PreferenceExample> eval)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(ReadOnlySpan<int> ids)
        {
            hash.AppendData(BitConverter.GetBytes(ids.Length));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids));
        }
        foreach (var set in new[] { train, eval })
        {
            hash.AppendData(BitConverter.GetBytes(set.Count));
            foreach (var p in set)
            {
                Add(p.Prompt);
                Add(p.Chosen);
                Add(p.Rejected);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Save(string path, string key)
    {
        var writer = new SafeTensorsWriter().SetMetadata(KeyField, key).Add("train", Train, [Train.Length / 2, 2]);
        if (Eval.Length > 0)
        {
            writer.Add("eval", Eval, [Eval.Length / 2, 2]);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer.WriteToFile(path);
    }

    /// <summary>The cache at <paramref name="path"/> when it holds these pairs' values; null when there is none.</summary>
    public static ReferenceLogProbs? Load(string path, string key, int trainPairs, int evalPairs)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var file = ModelFiles.OpenSafeTensors(path);
        if (!file.Metadata.TryGetValue(KeyField, out var stored) || stored != key)
        {
            throw new ModelFormatException(
                $"{path}: the reference log-probs are for other preference pairs ({KeyField} {stored ?? "missing"}, this data {key}); " +
                "use a fresh output directory, or the data the run started with");
        }
        var train = file.ReadFloat32("train");
        var eval = evalPairs > 0 ? file.ReadFloat32("eval") : [];
        if (train.Length != 2 * trainPairs || eval.Length != 2 * evalPairs)
        {
            throw new ModelFormatException($"{path}: holds {train.Length / 2} train and {eval.Length / 2} eval pairs, expected {trainPairs} and {evalPairs}");
        }
        return new ReferenceLogProbs(train, eval);
    }
}
