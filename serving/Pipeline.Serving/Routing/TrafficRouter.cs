using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Serving.Routing;

/// <summary>
/// Sticky variant assignment: a user's bucket is a pure function of (salt, user), so the same user gets the same
/// variant for as long as the weights stand, with no assignment table to store or lose.
/// </summary>
public static class TrafficRouter
{
    /// <summary>The first 8 bytes of SHA-256(salt + ":" + user), big-endian, as a fraction in [0, 1).</summary>
    public static double Bucket(string salt, string user)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + user));
        // The top 53 bits fill a double's mantissa exactly, so the result is uniform and strictly below 1.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The variant whose cumulative-weight interval holds <paramref name="bucket"/>; zero-weight variants
    /// are never picked.</summary>
    public static ExperimentVariant Pick(ExperimentDefinition experiment, double bucket)
    {
        var cumulative = 0.0;
        foreach (var v in experiment.Variants)
        {
            cumulative += v.Weight;
            if (v.Weight > 0 && bucket < cumulative)
            {
                return v;
            }
        }
        // Rounding can leave the sum a hair under 1: the last variant with weight takes the remainder.
        return experiment.Variants.Last(v => v.Weight > 0);
    }

    /// <summary>The user's variant, or for an anonymous request (no user) a variant drawn from a random bucket.</summary>
    public static ExperimentVariant Assign(ExperimentDefinition experiment, string? user) =>
        Pick(experiment, string.IsNullOrEmpty(user) ? Random.Shared.NextDouble() : Bucket(experiment.Salt, user));
}
