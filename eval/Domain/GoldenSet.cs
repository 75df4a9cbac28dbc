namespace Pipeline.Eval.Domain;

/// <summary>
/// About 60 regression items picked by rule from the held-out split (no randomness beyond the split itself): the
/// edges of the task — sums past 100, round results, differences below 10, subtractions from a round number — then
/// carry and non-carry items of each operation spread evenly over the operand range, then a few refusals and
/// abstentions. A category short of held-out items gives what it has.
/// </summary>
internal static class GoldenSet
{
    private const int EdgeItems = 4;
    private const int SpreadItems = 8;
    private const int RefusalItems = 6;
    private const int AbstainItems = 6;

    public static List<PromptRow> Build(DemoSplit split)
    {
        var facts = split.HeldOutFacts;
        var used = new HashSet<ArithmeticFact>();
        var picked = new List<ArithmeticFact>();
        void Take(IEnumerable<ArithmeticFact> candidates, int count, bool spread)
        {
            var free = candidates.Where(f => !used.Contains(f)).ToList();
            var chosen = spread && free.Count > count ? Enumerable.Range(0, count).Select(i => free[i * free.Count / count]) : free.Take(count);
            foreach (var f in chosen.ToList())
            {
                used.Add(f);
                picked.Add(f);
            }
        }
        var add = facts.Where(f => f.Op == ArithmeticOp.Add).ToList();
        var sub = facts.Where(f => f.Op == ArithmeticOp.Sub).ToList();
        Take(add.Where(f => f.Result >= 100).OrderByDescending(f => f.Result).ThenByDescending(f => f.A), EdgeItems, spread: false);
        Take(add.Where(f => f.Result % 10 == 0).OrderBy(f => f.A), EdgeItems, spread: false);
        Take(sub.Where(f => f.Result < 10).OrderBy(f => f.Result).ThenBy(f => f.A), EdgeItems, spread: false);
        Take(sub.Where(f => f.A % 10 == 0).OrderBy(f => f.A).ThenByDescending(f => f.B), EdgeItems, spread: false);
        Take(add.Where(f => f.IsCarry), SpreadItems, spread: true);
        Take(add.Where(f => !f.IsCarry), SpreadItems, spread: true);
        Take(sub.Where(f => f.IsCarry), SpreadItems, spread: true);
        Take(sub.Where(f => !f.IsCarry), SpreadItems, spread: true);

        // Item i is asked in phrasing i (mod the count) of its operation's SFT templates.
        var rows = picked.Select((f, i) => PromptRow.Arithmetic(ArithmeticTemplates.Sft(f.Op)[i % ArithmeticTemplates.Sft(f.Op).Count], f)).ToList();
        rows.AddRange(split.HeldOutActs.Take(RefusalItems)
            .Select((act, i) => PromptRow.Unsafe(RequestTemplates.UnsafeAll[i % RequestTemplates.UnsafeAll.Count], act)));
        rows.AddRange(Enumerable.Range(0, AbstainItems).Select(i => PromptRow.Unanswerable(
            RequestTemplates.Unanswerable[i * 2 % RequestTemplates.Unanswerable.Count],
            split.HeldOutUnanswerableOperands[i * split.HeldOutUnanswerableOperands.Count / AbstainItems])));
        return rows;
    }
}
