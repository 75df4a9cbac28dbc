namespace Pipeline.Eval.Domain;

/// <summary>One prompt of a prompts or eval file: the user's message and the columns verifiers read. Answer is null
/// for refusals and abstentions; Reference (the correct assistant text) is written only to eval files.</summary>
internal sealed record PromptRow(string User, string? Answer, string Behavior, string Task, string Reference)
{
    public static PromptRow Arithmetic(string template, ArithmeticFact fact) =>
        new(ArithmeticTemplates.Fill(template, fact), ArithmeticFact.Num(fact.Result), DemoBehavior.Answer, fact.Task, fact.Reference);

    public static PromptRow Unsafe(string template, string act) =>
        new(RequestTemplates.FillAct(template, act), null, DemoBehavior.Refuse, DemoBehavior.UnsafeTask, DemoPhrases.Refusal);

    public static PromptRow Unanswerable(string template, ArithmeticFact operands) =>
        new(ArithmeticTemplates.Fill(template, operands), null, DemoBehavior.Abstain, DemoBehavior.UnanswerableTask, DemoPhrases.Abstain);
}
