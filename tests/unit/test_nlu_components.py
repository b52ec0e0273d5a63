from rasa.shared.nlu.training_data.message import Message

from bot.nlu_components import (
    CommandIntentClassifier,
    FoldedCountVectorsFeaturizer,
    IdentifierEntityFilter,
)


def entity(kind: str, value: str, extractor: str) -> dict:
    return {"entity": kind, "value": value, "extractor": extractor, "start": 0, "end": 1}


def test_filter_keeps_regex_identifiers_and_learned_names_only():
    message = Message(
        data={
            "text": "x",
            "entities": [
                entity("orgnr", "850101-1234", "DIETClassifier"),
                entity("orgnr", "802535-6414", "RegexEntityExtractor"),
                entity("organisation", "Mora IF", "DIETClassifier"),
                entity("email", "a@b.se", "DIETClassifier"),
            ],
        }
    )
    filtered = IdentifierEntityFilter(IdentifierEntityFilter.get_default_config())
    (result,) = filtered.process([message])
    assert [(e["entity"], e["value"]) for e in result.get("entities")] == [
        ("orgnr", "802535-6414"),
        ("organisation", "Mora IF"),
    ]


def test_featurizer_folds_text_tokens_but_not_labels():
    featurizer = FoldedCountVectorsFeaturizer.__new__(FoldedCountVectorsFeaturizer)
    featurizer.lowercase = True
    assert featurizer._process_tokens(["Förening", "ÅR"]) == ["forening", "ar"]
    assert featurizer._process_tokens(["ask_what_is_iop"], attribute="intent") == [
        "ask_what_is_iop"
    ]


def classified(text: str, model_says: str) -> Message:
    """A message as DIET left it (its intent and ranking), then the command classifier."""
    guess = {"name": model_says, "confidence": 0.99}
    message = Message(data={"text": text, "intent": guess, "intent_ranking": [guess]})
    (result,) = CommandIntentClassifier().process([message])
    return result


def test_a_whole_message_command_gets_its_intent_whatever_the_model_said():
    for text, intent in (
        ("Fortsätt!", "start_check"),
        ("pausa tack", "stop"),
        ("Jag vill prata med en människa", "request_human"),
        ("hej då", "goodbye"),
        ("förklara frågan", "explain"),
    ):
        result = classified(text, model_says="inform")
        assert result.get("intent") == {"name": intent, "confidence": 1.0}
        assert [r["name"] for r in result.get("intent_ranking")] == [intent, "inform"]


def test_anything_else_keeps_the_models_reading():
    for text in ("Anna Berg", "Moraparkens vänner", "vi vill pausa lite i sommar och ses i höst"):
        assert classified(text, model_says="stop").get("intent")["name"] == "stop"
