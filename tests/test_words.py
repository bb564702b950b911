import pytest

from keylint.analysis.words import joined, split_words


@pytest.mark.parametrize(
    "name, words",
    [
        ("db_password", ("db", "password")),
        ("apiKey", ("api", "key")),
        ("X-API-Key", ("x", "api", "key")),
        ("CLIENT_SECRET", ("client", "secret")),
        ("HTTPServerToken", ("http", "server", "token")),
        ("pageToken2", ("page", "token", "2")),
    ],
)
def test_split_words(name, words):
    assert split_words(name) == words


def test_joined_spellings_compare_equal():
    assert joined("api-key") == joined("apiKey") == joined("API_KEY") == "apikey"
