namespace Pipeline.ML.Losses;

/// <summary>
/// One pair's loss, its derivatives with respect to the policy's two sequence log-probs (as the loss uses them:
/// summed, or length-averaged for IPO and SimPO), and the implicit rewards TRL logs (rewards/chosen, rewards/rejected).
/// </summary>
public readonly record struct DpoPairLoss(double Loss, double DChosen, double DRejected, double ChosenReward, double RejectedReward);
