namespace Pipeline.ML.Data;

/// <summary>The dataset formats TRL's SFTTrainer accepts, told apart by their fields.</summary>
internal enum SftDataFormat
{
    /// <summary><c>{"messages": [{"role", "content"}, …]}</c></summary>
    Conversational,

    /// <summary><c>{"prompt": "…", "completion": "…"}</c>, no chat template (TRL's "standard" form).</summary>
    PromptCompletion,

    /// <summary><c>{"prompt": [messages], "completion": [messages]}</c></summary>
    ConversationalPromptCompletion,

    /// <summary><c>{"text": "…"}</c></summary>
    LanguageModeling,
}
