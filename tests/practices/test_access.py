from practices.visibility import ccgs_for, clusters_for, practices_for


def test_commissioner_sees_only_their_ccgs_practices(alice, luton_practice, wolverhampton_practice):
    assert list(practices_for(alice)) == [luton_practice]


def test_practice_manager_sees_only_their_practice(bob, luton_practice, wolverhampton_practice):
    assert list(practices_for(bob)) == [luton_practice]
    assert not ccgs_for(bob).exists()
    assert not clusters_for(bob).exists()


def test_administrator_sees_every_practice(root, luton_practice, wolverhampton_practice):
    assert set(practices_for(root)) == {luton_practice, wolverhampton_practice}


def test_governing_body_member_reads_but_cannot_change(carol, luton_practice):
    assert carol.has_perm("practices.view_practice", luton_practice)
    assert not carol.has_perm("practices.change_practice", luton_practice)


def test_commissioner_cannot_change_another_ccgs_practice(alice, luton_practice, wolverhampton_practice):
    assert alice.has_perm("practices.change_practice", luton_practice)
    assert not alice.has_perm("practices.change_practice", wolverhampton_practice)


def test_practice_manager_may_add_a_site_only_to_their_practice(bob, luton_practice, wolverhampton_practice):
    assert bob.has_perm("practices.add_site", luton_practice)
    assert not bob.has_perm("practices.add_site", wolverhampton_practice)
    assert not bob.has_perm("practices.change_practice", luton_practice)
