using System.CommandLine;
using System.Text.Json.Nodes;
using Pipeline.ML.Data;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>
/// `pipeline ml collect-preferences`: sample k completions per prompt from a checkpoint, label them, keep the pairs QC
/// passes, and write OUT/vN/preferences.jsonl + summary.json. For human labels it runs in two phases:
/// `--candidates-only` writes OUT/vN/candidates.jsonl for people to label, and `--candidates FILE --labeler human:LABELS`
/// builds the pairs from it.
/// </summary>
public static class MlCollectPreferencesCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model checkpoint to sample from (HF layout)", HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory", HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model's, else the adapter's)", HelpName = "FILE" };
        var prompts = new Option<string?>("--prompts") { Description = "Prompt JSONL (TRL's prompt format; other fields are columns for the verifier)", HelpName = "FILE" };
        var candidates = new Option<string?>("--candidates") { Description = "Label an earlier --candidates-only run's candidates.jsonl instead of sampling", HelpName = "FILE" };
        var candidatesOnly = new Option<bool>("--candidates-only") { Description = "Phase one of human labelling: sample and write candidates.jsonl, no pairs" };
        var labeler = new Option<string?>("--labeler") { Description = $"Who judges: {PreferenceLabelers.Usage}", HelpName = "KIND:ARGS" };
        var output = new Option<string>("--out") { Description = "Artifact directory; each run adds vN (never overwrites)", Required = true, HelpName = "DIR" };
        var samples = new Option<int>("--samples-per-prompt") { DefaultValueFactory = _ => 4 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0UL };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch-size") { Description = "Prompts per generation batch", DefaultValueFactory = _ => 64 };
        var maxPairs = new Option<int>("--max-pairs-per-prompt") { DefaultValueFactory = _ => 2 };
        var good = new Option<double>("--good-threshold") { Description = "A completion scoring below this is bad; two bad ones make no pair (-Infinity: off)", DefaultValueFactory = _ => 0.5 };
        var gap = new Option<double>("--min-score-gap") { Description = "Scores this close are a tie", DefaultValueFactory = _ => 0 };
        var similar = new Option<double>("--near-duplicate-similarity") { Description = "Drop pairs at least this alike (normalised Levenshtein; 1: equal after case/space folding)", DefaultValueFactory = _ => 1.0 };
        var keepTruncated = new Option<bool>("--keep-truncated") { Description = "Keep pairs with a completion cut at --max-new-tokens (by default dropped: it would be written with an end token it never produced)" };
        var cmd = new Command("collect-preferences", "Sample completions, label them, and write (prompt, chosen, rejected) pairs with provenance")
        {
            model, adapter, tokenizer, prompts, candidates, candidatesOnly, labeler, output, samples, temperature, topK, topP, seed, maxNew, batch,
            maxPairs, good, gap, similar, keepTruncated,
        };
        cmd.SetAction(p =>
        {
            var options = new PreferenceCollectionOptions
            {
                Sampling = new PreferenceSamplingOptions
                {
                    SamplesPerPrompt = p.GetValue(samples), Temperature = p.GetValue(temperature), TopK = p.GetValue(topK), TopP = p.GetValue(topP),
                    Seed = p.GetValue(seed), MaxNewTokens = p.GetValue(maxNew), BatchSize = p.GetValue(batch),
                },
                Quality = new PairQualityOptions
                {
                    MaxPairsPerPrompt = p.GetValue(maxPairs), GoodThreshold = p.GetValue(good), MinScoreGap = p.GetValue(gap),
                    NearDuplicateSimilarity = p.GetValue(similar), DropTruncated = !p.GetValue(keepTruncated),
                },
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var outDir = p.GetValue(output)!;
            var spec = p.GetValue(labeler);
            var candidatesFile = p.GetValue(candidates);
            if (p.GetValue(candidatesOnly))
            {
                if (spec is not null || candidatesFile is not null) throw new UsageException("--candidates-only samples for people to label: it takes no --labeler or --candidates");
                var (set, inputs) = Sample(p, model, adapter, tokenizer, prompts, options);
                var written = PreferenceArtifact.WriteCandidates(outDir, set, DateTimeOffset.UtcNow, inputs);
                Console.Error.WriteLine($"{set.Prompts.Count} prompts × {options.Sampling.SamplesPerPrompt} completions ({set.DuplicatePromptIds.Count} duplicate prompts skipped)");
                return Report(written);
            }
            if (spec is null) throw new UsageException($"--labeler is required (or --candidates-only): {PreferenceLabelers.Usage}");
            if (PreferenceLabelers.NeedsCandidatesFile(spec) && candidatesFile is null)
                throw new UsageException("human labels refer to a candidates file: run --candidates-only first, then pass --candidates FILE");
            var judge = PreferenceLabelers.Parse(spec);
            CandidateSet source;
            JsonObject inputsJson;
            if (candidatesFile is not null)
            {
                if (p.GetValue(model) is not null || p.GetValue(prompts) is not null) throw new UsageException("--candidates replaces sampling: drop --model and --prompts");
                if (!File.Exists(candidatesFile)) throw new UsageException($"--candidates {candidatesFile}: no such file");
                source = CandidatesFile.Load(candidatesFile);
                inputsJson = new JsonObject { ["candidates_file"] = Path.GetFullPath(candidatesFile), ["candidates_sha256"] = "sha256:" + ModelHash.OfFile(candidatesFile) };
            }
            else
            {
                (source, inputsJson) = Sample(p, model, adapter, tokenizer, prompts, options);
            }
            var collection = new PreferenceCollector(options).BuildPairs(source, judge);
            Console.Error.WriteLine(collection.Counts.ToString());
            return Report(PreferenceArtifact.WritePairs(outDir, collection, inputsJson));
        });
        return cmd;
    }

    private static (CandidateSet Set, JsonObject Inputs) Sample(
        ParseResult p, Option<string?> model, Option<string?> adapter, Option<string?> tokenizer, Option<string?> prompts, PreferenceCollectionOptions options)
    {
        var dir = p.GetValue(model) ?? throw new UsageException("--model is required to sample (or pass --candidates FILE)");
        var promptsFile = p.GetValue(prompts) ?? throw new UsageException("--prompts is required to sample");
        if (!File.Exists(promptsFile)) throw new UsageException($"--prompts {promptsFile}: no such file");
        var adapterDir = p.GetValue(adapter);
        var tokPath = p.GetValue(tokenizer) ?? new[] { dir, adapterDir }.Where(d => d is not null)
            .Select(d => Path.Combine(d!, "tokenizer.json")).FirstOrDefault(File.Exists)
            ?? throw new UsageException("no tokenizer.json next to the model or adapter: pass --tokenizer");
        var tok = ByteLevelBpeTokenizer.Load(tokPath);
        var m = LlamaCheckpoint.Load(dir);
        if (adapterDir is not null)
        {
            m.AddAdapter(PeftAdapterFormat.Load(adapterDir, "default", m.Config));
            m.SetActiveAdapter("default");
        }
        var rows = PromptDataset.LoadJsonl(promptsFile, tok);
        var stopIds = ChatTemplate.StopTokenIds(tok);
        var withStops = options with { Sampling = options.Sampling with { StopTokenIds = stopIds } };
        var started = DateTime.UtcNow;
        var set = new PreferenceCollector(withStops).Sample(rows, m, tok, ModelHash.Compute(dir, adapterDir));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Console.Error.WriteLine($"sampled {set.Prompts.Count * options.Sampling.SamplesPerPrompt} completions in {seconds:F1} s " +
            $"({set.Prompts.Count * options.Sampling.SamplesPerPrompt / Math.Max(seconds, 1e-9):F0}/s)");
        var inputs = new JsonObject
        {
            ["prompts_file"] = Path.GetFullPath(promptsFile),
            ["prompts_sha256"] = "sha256:" + ModelHash.OfFile(promptsFile),
            ["model"] = Path.GetFullPath(dir),
            ["adapter"] = adapterDir is null ? null : Path.GetFullPath(adapterDir),
            ["tokenizer_sha256"] = "sha256:" + ModelHash.OfFile(tokPath),
        };
        return (set, inputs);
    }

    private static int Report(ArtifactVersion written)
    {
        Console.Error.WriteLine($"wrote {written.Directory} ({written.Sha256})");
        CliOutput.PrintJson(new { version = written.Version, directory = written.Directory, sha256 = written.Sha256 });
        return ExitCodes.Ok;
    }
}
