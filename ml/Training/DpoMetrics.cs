using Pipeline.ML.Losses;

namespace Pipeline.ML.Training;

/// <summary>
/// Sums over pairs between two log rows, reported with TRL's names: loss, rewards/chosen, rewards/rejected,
/// rewards/margins, rewards/accuracies (share of pairs whose chosen reward beats the rejected one), logps/chosen,
/// logps/rejected (the policy's, as the loss uses them), nll_loss (the RPO term, token mean over chosen tokens).
/// </summary>
internal sealed class DpoMetrics
{
    private long _pairs;
    private double _loss;
    private double _chosenReward;
    private double _rejectedReward;
    private long _correct;
    private double _chosenLogp;
    private double _rejectedLogp;
    private double _nllSum;
    private long _nllTokens;

    public void AddPair(DpoPairLoss pair, double chosenLogp, double rejectedLogp)
    {
        _pairs++;
        _loss += pair.Loss;
        _chosenReward += pair.ChosenReward;
        _rejectedReward += pair.RejectedReward;
        _correct += pair.ChosenReward > pair.RejectedReward ? 1 : 0;
        _chosenLogp += chosenLogp;
        _rejectedLogp += rejectedLogp;
    }

    public void AddNll(double nllSum, int tokens)
    {
        _nllSum += nllSum;
        _nllTokens += tokens;
    }

    public void Add(DpoMetrics other)
    {
        _pairs += other._pairs;
        _loss += other._loss;
        _chosenReward += other._chosenReward;
        _rejectedReward += other._rejectedReward;
        _correct += other._correct;
        _chosenLogp += other._chosenLogp;
        _rejectedLogp += other._rejectedLogp;
        _nllSum += other._nllSum;
        _nllTokens += other._nllTokens;
    }

    /// <summary>The mean pair loss plus α times the token-mean NLL of the chosen completions (TRL's loss with rpo_alpha).</summary>
    public double Loss(double? rpoAlpha) =>
        (_pairs == 0 ? 0 : _loss / _pairs) + (rpoAlpha is { } a && _nllTokens > 0 ? a * _nllSum / _nllTokens : 0);

    public Dictionary<string, double> Flush(string prefix, double? rpoAlpha)
    {
        double Mean(double sum) => _pairs == 0 ? 0 : sum / _pairs;
        var row = new Dictionary<string, double>
        {
            [prefix + "loss"] = Loss(rpoAlpha),
            [prefix + "rewards/chosen"] = Mean(_chosenReward),
            [prefix + "rewards/rejected"] = Mean(_rejectedReward),
            [prefix + "rewards/margins"] = Mean(_chosenReward - _rejectedReward),
            [prefix + "rewards/accuracies"] = Mean(_correct),
            [prefix + "logps/chosen"] = Mean(_chosenLogp),
            [prefix + "logps/rejected"] = Mean(_rejectedLogp),
        };
        if (rpoAlpha is not null)
        {
            row[prefix + "nll_loss"] = _nllTokens == 0 ? 0 : _nllSum / _nllTokens;
        }
        Reset();
        return row;
    }

    public void Reset()
    {
        (_pairs, _correct, _nllTokens) = (0, 0, 0);
        (_loss, _chosenReward, _rejectedReward, _chosenLogp, _rejectedLogp, _nllSum) = (0, 0, 0, 0, 0, 0);
    }
}
