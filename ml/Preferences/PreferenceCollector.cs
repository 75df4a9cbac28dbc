using Pipeline.ML.Data;
using Pipeline.ML.Generation;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Preference collection, the recipe's stage between the SFT gate and DPO: de-duplicate the prompts, sample k
/// completions of each from a checkpoint (<see cref="Sample"/>), label them and build (chosen, rejected) pairs with
/// quality control (<see cref="BuildPairs"/>). The halves are apart so that people can label in between
/// (<see cref="CandidatesFile"/> out, <see cref="HumanLabelFile"/> in). A given seed gives the same pairs every run;
/// only the timestamp comes from <paramref name="clock"/>.
/// </summary>
public sealed class PreferenceCollector(PreferenceCollectionOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Called after each generation batch of <see cref="Sample"/> with (prompts sampled so far, prompts to
    /// sample): a caller's heartbeat, progress line or cancellation point (an exception thrown here stops sampling).</summary>
    public Action<int, int>? OnSampled { get; init; }

    /// <summary>Both halves: sample, then label with <paramref name="labeler"/>.</summary>
    public PreferenceCollection Collect(
        IReadOnlyList<PromptExample> prompts, LlamaModel model, ByteLevelBpeTokenizer tokenizer, string modelCheckpointHash, IPreferenceLabeler labeler) =>
        BuildPairs(Sample(prompts, model, tokenizer, modelCheckpointHash), labeler);

    /// <summary>
    /// Samples <see cref="PreferenceSamplingOptions.SamplesPerPrompt"/> completions of every distinct prompt: a prompt
    /// whose normalised text (<see cref="TextSimilarity.Normalize"/>) equals an earlier one's is skipped and listed.
    /// Prompts go through the generator <see cref="PreferenceSamplingOptions.BatchSize"/> at a time, each repeated k
    /// times in a row; batch b draws from its own seed, so rows — and prompts — never share random numbers.
    /// </summary>
    /// <param name="modelCheckpointHash">the checkpoint's identity (<see cref="ModelHash.Compute"/>, or a hash the caller
    /// computed for a model held in memory).</param>
    public CandidateSet Sample(IReadOnlyList<PromptExample> prompts, LlamaModel model, ByteLevelBpeTokenizer tokenizer, string modelCheckpointHash)
    {
        options.Validate();
        if (string.IsNullOrWhiteSpace(modelCheckpointHash))
        {
            throw new ArgumentException("a model checkpoint hash is required (it is every pair's provenance)");
        }
        var sampling = options.Sampling;
        var (unique, duplicates) = Deduplicate(prompts);
        var generator = new Generator(model, tokenizer);
        var candidates = new List<PromptCandidates>(unique.Count);
        for (var b = 0; b * sampling.BatchSize < unique.Count; b++)
        {
            var batch = unique.Skip(b * sampling.BatchSize).Take(sampling.BatchSize).ToList();
            var rows = batch.SelectMany(p => Enumerable.Repeat(p.Ids, sampling.SamplesPerPrompt)).ToList();
            var results = generator.Generate(rows, sampling.Generation(b));
            for (var p = 0; p < batch.Count; p++)
            {
                var completions = Enumerable.Range(0, sampling.SamplesPerPrompt)
                    .Select(k => results[p * sampling.SamplesPerPrompt + k])
                    .Select((r, k) => new SampledCompletion(k, r.Text ?? "", r.Tokens.Length, r.FinishReason)).ToList();
                var prompt = batch[p];
                candidates.Add(new PromptCandidates(prompt.Id, prompt.Text, prompt.Messages, prompt.Columns, completions));
            }
            OnSampled?.Invoke(candidates.Count, unique.Count);
        }
        return new CandidateSet(candidates, modelCheckpointHash, sampling.ToJson(), duplicates);
    }

    /// <summary>Labels every prompt's completions in one call, then builds each prompt's pairs (<see cref="PairBuilder"/>).</summary>
    public PreferenceCollection BuildPairs(CandidateSet candidates, IPreferenceLabeler labeler)
    {
        options.Quality.Validate();
        var labels = labeler.Label(candidates.Prompts);
        if (labels.Count != candidates.Prompts.Count)
        {
            throw new InvalidOperationException($"labeler '{labeler.Name}' labelled {labels.Count} of {candidates.Prompts.Count} prompts");
        }
        var at = _clock.GetUtcNow();
        var perPrompt = candidates.Prompts.Select((p, i) => PairBuilder.Build(p, labels[i], options.Quality, at)).ToList();
        return new PreferenceCollection(
            candidates, [.. perPrompt.SelectMany(p => p.Kept)], PreferenceCounts.Tally(candidates, perPrompt), labeler.Name,
            labeler.Provenance, options.Quality, at);
    }

    /// <summary>The prompts whose normalised text is new, in order, and the ids of those skipped as duplicates.</summary>
    public static (IReadOnlyList<PromptExample> Unique, IReadOnlyList<string> DuplicateIds) Deduplicate(IReadOnlyList<PromptExample> prompts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<PromptExample>();
        var duplicates = new List<string>();
        foreach (var p in prompts)
        {
            if (seen.Add(TextSimilarity.Normalize(p.Text)))
            {
                unique.Add(p);
            }
            else
            {
                duplicates.Add(p.Id);
            }
        }
        return (unique, duplicates);
    }
}
