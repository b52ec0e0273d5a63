from bot.text import fold_diacritics


def test_fold_diacritics_maps_swedish_letters_and_case():
    assert fold_diacritics("Föreningen Åre-Älvdalen") == "foreningen are-alvdalen"
    assert fold_diacritics("idéburet") == "ideburet"
    assert fold_diacritics("forening") == "forening"
