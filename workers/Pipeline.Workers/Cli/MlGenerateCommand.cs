using System.CommandLine;
using Pipeline.ML.Generation;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml generate`: complete prompts with a model (and optional adapter), greedy or sampled.</summary>
public static class MlGenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory (HF layout)", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory", HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model's, else the adapter's)", HelpName = "FILE" };
        var chat = new Option<bool>("--chat") { Description = "Wrap each prompt as a user turn in the chat template" };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0: greedy", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--top-k") { DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0UL };
        var stop = new Option<string[]>("--stop") { Description = "Stop string (repeatable)", AllowMultipleArgumentsPerToken = false };
        var prompts = new Argument<string[]>("prompt") { Description = "One or more prompts, generated as one batch", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("generate", "Generate completions (KV cache, batched)")
        {
            model, adapter, tokenizer, chat, maxNew, temperature, topK, topP, seed, stop, prompts,
        };
        var quant = new QuantFlags();
        quant.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var dir = p.GetValue(model)!;
            var tokPath = p.GetValue(tokenizer) ?? new[] { dir, p.GetValue(adapter) }.Where(d => d is not null)
                .Select(d => Path.Combine(d!, "tokenizer.json")).FirstOrDefault(File.Exists)
                ?? throw new UsageException("no tokenizer.json next to the model or adapter: pass --tokenizer");
            var tok = ByteLevelBpeTokenizer.Load(tokPath);
            var m = LlamaCheckpoint.Load(dir);
            if (quant.Read(p) is { } nf4)
            {
                QuantFlags.Quantize(m, nf4);
            }
            if (p.GetValue(adapter) is { } a)
            {
                m.AddAdapter(PeftAdapterFormat.Load(a, "default", m.Config));
                m.SetActiveAdapter("default");
            }
            var isChat = p.GetValue(chat);
            var ids = p.GetValue(prompts)!.Select(text => isChat
                ? ChatTemplate.Encode(tok, [new ChatMessage("user", text)], addGenerationPrompt: true).Ids
                : tok.Encode(text)).ToList();
            var stopIds = ChatTemplate.StopTokenIds(tok);
            var options = new GenerationOptions
            {
                MaxNewTokens = p.GetValue(maxNew), Temperature = p.GetValue(temperature), TopK = p.GetValue(topK), TopP = p.GetValue(topP),
                Seed = p.GetValue(seed), StopTokenIds = stopIds, StopSequences = p.GetValue(stop) ?? [],
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var results = new Generator(m, tok).Generate(ids, options);
            CliOutput.PrintJson(results.Select(r => new { text = r.Text, finishReason = r.FinishReason.ToString(), tokens = r.Tokens.Length }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
