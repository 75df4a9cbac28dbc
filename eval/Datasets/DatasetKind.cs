namespace Pipeline.Eval.Datasets;

/// <summary>What a dataset file holds, and so which rules check it (`pipeline dataset validate --kind`).</summary>
public enum DatasetKind
{
    /// <summary>Raw text for pretraining: UTF-8, one document a line.</summary>
    Text,

    /// <summary>SFT rows in TRL's formats: messages, prompt/completion, or text.</summary>
    Sft,

    /// <summary>Preference pairs: prompt, chosen, rejected (or an implicit prompt).</summary>
    Preference,

    /// <summary>Prompts for preference collection and GRPO, with reward columns.</summary>
    Prompts,

    /// <summary>Eval rows: prompts with behavior/answer columns, {"text"} rows for perplexity, or held-out pairs.</summary>
    Eval,
}
