using Platform.Membership.Domain;

namespace Platform.Membership.Tests.Domain;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // the example printed in GB 32100 guidance
    [InlineData(" 91350100m000100y43 ")] // pasted with spaces and lower case
    public void A_code_with_the_right_check_character_is_accepted(string text)
    {
        Assert.True(UnifiedSocialCreditCode.TryParse(text, out var code, out var error), error);
        Assert.Equal("91350100M000100Y43", code!.Value);
    }

    [Fact]
    public void A_single_mistyped_character_is_caught_by_the_check_character()
    {
        Assert.False(UnifiedSocialCreditCode.TryParse("91350100M000100Y44", out _, out var error));
        Assert.Contains("check character", error, StringComparison.Ordinal);
        Assert.False(UnifiedSocialCreditCode.TryParse("91350100M000200Y43", out _, out _));
    }

    [Theory]
    [InlineData("91350100M000100Y4", "17")]
    [InlineData("", "0")]
    [InlineData("91350100M00010OY43", "'O'")]
    [InlineData("9135A100M000100Y43", "digits")]
    public void Malformed_codes_are_refused_with_the_reason(string text, string reasonMentions)
    {
        Assert.False(UnifiedSocialCreditCode.TryParse(text, out var code, out var error));
        Assert.Null(code);
        Assert.Contains(reasonMentions, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_character_is_zero_when_the_weighted_sum_is_a_multiple_of_31()
    {
        // 17 zeros weigh nothing: 31 - 0 mod 31 = 31, which GB 32100 writes as '0'.
        Assert.Equal('0', UnifiedSocialCreditCode.CheckCharacter("00000000000000000"));
    }
}
