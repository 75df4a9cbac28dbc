using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The held-out split: a fifth of every kind of item, fixed by the seed alone.</summary>
public sealed class DemoSplitTests
{
    [Fact]
    public void For_Seed_HoldsOutAFifthOfEachOperationAndCarryGroup()
    {
        var split = DemoSplit.For(7);

        Assert.Equal(1_620, ArithmeticFact.All.Count);
        Assert.Equal(324, split.HeldOutFacts.Count);
        Assert.Equal(1_296, split.TrainFacts.Count);
        foreach (var group in split.HeldOutFacts.GroupBy(f => (f.Op, f.IsCarry)))
        {
            Assert.Equal(81, group.Count());
        }
        Assert.Empty(split.TrainFacts.Intersect(split.HeldOutFacts));
        Assert.Equal((18, 72), (split.HeldOutActs.Count, split.TrainActs.Count));
        Assert.Equal((4, 8), (split.HeldOutUnanswerable.Count, split.TrainUnanswerable.Count));
    }

    [Fact]
    public void For_SameSeedTwice_SameSplit_OtherSeed_Different()
    {
        Assert.Equal(DemoSplit.For(5).HeldOutFacts, DemoSplit.For(5).HeldOutFacts);
        Assert.Equal(DemoSplit.For(5).HeldOutActs, DemoSplit.For(5).HeldOutActs);
        Assert.NotEqual(DemoSplit.For(5).HeldOutFacts, DemoSplit.For(6).HeldOutFacts);
    }

    [Fact]
    public void Lists_AsDesigned_DistinctAndWithinRange()
    {
        Assert.Equal(90, UnsafeActs.All.Distinct().Count());
        Assert.All(UnsafeActs.All, a => Assert.DoesNotMatch(@"\d", a));
        Assert.Equal(12, RequestTemplates.Unanswerable.Distinct().Count());
        Assert.Equal((4, 4), (RequestTemplates.UnsafeSeen.Count, RequestTemplates.UnsafeUnseen.Count));
        foreach (var op in new[] { ArithmeticOp.Add, ArithmeticOp.Sub })
        {
            Assert.InRange(ArithmeticTemplates.Sft(op).Distinct().Count(), 15, 20);
            Assert.InRange(ArithmeticTemplates.Unseen(op).Distinct().Count(), 6, 8);
        }
    }

    [Theory]
    [InlineData(83, 9, ArithmeticOp.Add, 92, 82, true)]
    [InlineData(83, 6, ArithmeticOp.Sub, 77, 87, true)]
    [InlineData(99, 9, ArithmeticOp.Add, 108, 98, true)]
    [InlineData(10, 9, ArithmeticOp.Sub, 1, 11, true)]
    [InlineData(42, 4, ArithmeticOp.Add, 46, 46, false)]
    [InlineData(47, 7, ArithmeticOp.Sub, 40, 40, false)]
    public void ArithmeticFact_ForgetfulResult_DropsTheCarryOrBorrowOnly(int a, int b, ArithmeticOp op, int result, int forgetful, bool carry)
    {
        var fact = new ArithmeticFact(a, b, op);

        Assert.Equal((result, forgetful, carry), (fact.Result, fact.ForgetfulResult, fact.IsCarry));
    }
}
