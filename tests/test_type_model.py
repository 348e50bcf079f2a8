"""The type model stored as arrays gives exactly scikit-learn's probabilities."""

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from valuechain.ner.model import TypeModel, export_npz


def test_npz_export_reproduces_predict_proba(tmp_path):
    rng = np.random.default_rng(0)
    names = [f"f{i}" for i in range(40)]
    feats = [{n: float(rng.choice([0.0, 1.0, 0.5])) for n in rng.choice(names, 6)} for _ in range(300)]
    y = [["ORG", "PERSON", "LOC", "NONE"][int(sum(f.values())) % 4] for f in feats]
    pipe = make_pipeline(DictVectorizer(), LogisticRegression(max_iter=500, random_state=0)).fit(feats, y)
    export_npz(pipe, tmp_path / "m.npz")
    model = TypeModel.load(tmp_path / "m.npz")
    test = feats[:50] + [{"unknown-feature": 1.0, "f3": 1.0}]
    assert model.classes == list(pipe.classes_)
    assert np.array_equal(model.predict_proba(test), pipe.predict_proba(test))
