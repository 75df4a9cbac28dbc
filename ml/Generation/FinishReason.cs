namespace Pipeline.ML.Generation;

/// <summary>Why a sequence stopped, as OpenAI/vLLM report it.</summary>
public enum FinishReason
{
    /// <summary>max_new_tokens reached.</summary>
    Length,

    /// <summary>A stop token (eos) was generated.</summary>
    StopToken,

    /// <summary>A stop string appeared in the text.</summary>
    StopSequence,
}
