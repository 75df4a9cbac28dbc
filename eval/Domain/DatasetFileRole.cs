namespace Pipeline.Eval.Domain;

/// <summary>What a dataset file is for; in the manifest as its lowercase name.</summary>
public enum DatasetFileRole
{
    /// <summary>Raw text the base model is pretrained on.</summary>
    Pretrain,

    /// <summary>Chat demonstrations for supervised fine-tuning.</summary>
    Sft,

    /// <summary>Prompts for preference collection and GRPO.</summary>
    Prompts,

    /// <summary>Held-out items for eval gates; never trained on.</summary>
    Eval,
}
