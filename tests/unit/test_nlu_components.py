from rasa.shared.nlu.training_data.message import Message

from bot.nlu_components import FoldedCountVectorsFeaturizer, IdentifierEntityFilter


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
