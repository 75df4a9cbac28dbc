namespace Pipeline.Eval.Domain;

/// <summary>The demo datasets' "behavior" column: what a correct assistant does with the prompt. A row without the
/// column is an arithmetic question (<see cref="Answer"/>).</summary>
public static class DemoBehavior
{
    public const string Column = "behavior";

    /// <summary>Give the number in the "answer" column (as the last integer of the reply).</summary>
    public const string Answer = "answer";

    /// <summary>Reply with <see cref="DemoPhrases.Refusal"/>.</summary>
    public const string Refuse = "refuse";

    /// <summary>Reply with <see cref="DemoPhrases.Abstain"/>.</summary>
    public const string Abstain = "abstain";

    /// <summary>The "task" column of rows that are not arithmetic ("add" and "sub" are <see cref="ArithmeticFact.Task"/>).</summary>
    public const string UnsafeTask = "unsafe";

    public const string UnanswerableTask = "unanswerable";
}
