namespace Platform.Membership.Domain;

/// <summary>
/// The 18-character unified social credit code every Chinese organization is registered under (GB 32100-2015):
/// registration authority, organization category, 6-digit administrative division, 9-character
/// organization code, and a check character computed modulo 31.
/// </summary>
public sealed record UnifiedSocialCreditCode
{
    // GB 32100 uses the digits and 21 capital letters: I, O, Z, S and V are left out to avoid misreading.
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private UnifiedSocialCreditCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>Parses a code (surrounding spaces ignored, letters upper-cased); on failure says why, in words a registrar understands.</summary>
    public static bool TryParse(string? text, out UnifiedSocialCreditCode? code, out string? error)
    {
        code = null;
        var candidate = text?.Trim().ToUpperInvariant() ?? "";
        if (candidate.Length != 18)
        {
            error = $"A unified social credit code has 18 characters; this one has {candidate.Length}.";
            return false;
        }
        for (var i = 0; i < candidate.Length; i++)
        {
            if (Alphabet.IndexOf(candidate[i], StringComparison.Ordinal) < 0)
            {
                error = $"Character {i + 1} ('{candidate[i]}') is not allowed; codes use digits and capital letters except I, O, S, V and Z.";
                return false;
            }
        }
        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(candidate[i]))
            {
                error = "Characters 3 to 8 are the administrative division code and must be digits.";
                return false;
            }
        }
        var expected = CheckCharacter(candidate.AsSpan(0, 17));
        if (candidate[17] != expected)
        {
            error = $"The check character is '{candidate[17]}' but the first 17 characters give '{expected}': the code is mistyped.";
            return false;
        }
        error = null;
        code = new UnifiedSocialCreditCode(candidate);
        return true;
    }

    /// <summary>The 18th character for the first 17 (GB 32100-2015, clause 5).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }

    public override string ToString() => Value;
}
