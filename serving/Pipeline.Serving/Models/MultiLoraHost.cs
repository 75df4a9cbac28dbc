using System.Collections.Concurrent;
using Pipeline.Infra.Models;
using Pipeline.ML.Generation;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Serving.Models;

/// <summary>
/// Keeps one base model in memory per distinct base digest and every LoRA adapter served over it attached at once
/// (LlamaModel.AddAdapter, PEFT's multi-adapter model). LlamaModel applies one active adapter at a time, so each
/// request activates its adapter under the base's lock and generates: no merging, no reloading the base. On 2 cores
/// generation is compute-bound and would be serialized anyway; the lock only makes the switch safe.
/// </summary>
public sealed class MultiLoraHost
{
    private readonly ConcurrentDictionary<string, Lazy<LoadedBase>> _bases = new(StringComparer.Ordinal);
    private int _baseLoads;

    /// <summary>How many times a base model was read from disk: one per distinct base digest.</summary>
    public int BaseLoads => Volatile.Read(ref _baseLoads);

    /// <summary>Base keys in memory, each with the names of the adapters attached to it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Loaded =>
        _bases.Where(kv => kv.Value.IsValueCreated).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value.Value.Model.Adapters.Keys]);

    /// <summary>Loads the base once (keyed by its cache folder name, the digest hex) and attaches the adapter once
    /// (named by its folder, the adapter digest hex).</summary>
    public async Task<ServedModel> LoadAsync(MaterializedModel model, CancellationToken ct = default)
    {
        var key = Path.GetFileName(Path.TrimEndingDirectorySeparator(model.BaseDir));
        var lazy = _bases.GetOrAdd(key, _ => new Lazy<LoadedBase>(() => LoadBase(model.BaseDir), LazyThreadSafetyMode.ExecutionAndPublication));
        LoadedBase loaded;
        try
        {
            loaded = lazy.Value;
        }
        catch
        {
            // Lazy caches its exception: forget the failed load so a later request can try again.
            _bases.TryRemove(new KeyValuePair<string, Lazy<LoadedBase>>(key, lazy));
            throw;
        }
        if (model.AdapterDir is null)
        {
            return new ServedModel(key, null);
        }
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(model.AdapterDir));
        await loaded.Gate.WaitAsync(ct);
        try
        {
            if (!loaded.Model.Adapters.ContainsKey(name))
            {
                loaded.Model.AddAdapter(PeftAdapterFormat.Load(model.AdapterDir, name, loaded.Model.Config));
            }
        }
        finally
        {
            loaded.Gate.Release();
        }
        return new ServedModel(key, name);
    }

    /// <summary>Renders the chat, activates the served adapter and generates one reply.</summary>
    public async Task<Completion> GenerateAsync(ServedModel served, IReadOnlyList<ChatMessage> messages, GenerationOptions options, CancellationToken ct = default)
    {
        var loaded = _bases.TryGetValue(served.BaseKey, out var lazy) ? lazy.Value
            : throw new InvalidOperationException($"base {served.BaseKey} is not loaded");
        var ids = ChatTemplate.Encode(loaded.Tokenizer, messages, addGenerationPrompt: true).Ids;
        options = options with { StopTokenIds = ChatTemplate.StopTokenIds(loaded.Tokenizer) };
        await loaded.Gate.WaitAsync(ct);
        try
        {
            loaded.Model.SetActiveAdapter(served.AdapterName);
            var result = new Generator(loaded.Model, loaded.Tokenizer).Generate([ids], options)[0];
            var text = result.Text ?? loaded.Tokenizer.Decode(result.Tokens);
            return new Completion(text, result.FinishReason, ids.Length, result.Tokens.Length);
        }
        finally
        {
            loaded.Gate.Release();
        }
    }

    private LoadedBase LoadBase(string dir)
    {
        Interlocked.Increment(ref _baseLoads);
        var tokenizer = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(tokenizer))
        {
            throw new InvalidDataException($"{dir}: the base model has no tokenizer.json");
        }
        return new LoadedBase(LlamaCheckpoint.Load(dir), ByteLevelBpeTokenizer.Load(tokenizer));
    }
}
