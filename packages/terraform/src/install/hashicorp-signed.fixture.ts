/**
 * Test data: a real HashiCorp release signature. terraform-provider-aws 5.2.0's
 * `terraform-provider-aws_5.2.0_SHA256SUMS` and its detached `.sig`, as published on
 * releases.hashicorp.com (signed 2023-06-09 by HashiCorp's signing subkey C820C6D5CD27AB87).
 * Terraform releases are signed the same way with the same key. The bytes were taken from a public
 * repository's test data (a Terraform provider-mirror service) and checked with
 * `gpg --verify` against HashiCorp's key before being recorded here.
 */

export const AWS_PROVIDER_SUMS_NAME = 'terraform-provider-aws_5.2.0_SHA256SUMS';

export const AWS_PROVIDER_SUMS = `0e48449e9f29b64663e7ff641a3ba1da434608460c33a20bdb45efeb1e067d4a  terraform-provider-aws_5.2.0_freebsd_amd64.zip
0ec657a1e586087368cc3051ccb8bdf67e8763e50eece76b8dc4695f8d349ebb  terraform-provider-aws_5.2.0_windows_386.zip
1cff541e792477c4dc8b8405a6f76a56d1292e23d6fc367993efed2b3988c208  terraform-provider-aws_5.2.0_openbsd_amd64.zip
312e7c0c56742cb83d18cb2a3f2da35f4d92481353b0ac2b54d6333df91c2399  terraform-provider-aws_5.2.0_openbsd_arm.zip
352bc8a73fdb829306c141fffcb170172c7860c9fff0e02239ef8c771b3468a3  terraform-provider-aws_5.2.0_darwin_amd64.zip
4d5403f8d5a8da4db6bcf9d8b60fc790b2f2e1cf49438bb2c3f6c2ccbfa672cb  terraform-provider-aws_5.2.0_freebsd_arm.zip
4d90c9a759778a55274f05f69c8b38a2d0d1def792bb556ac6194e5979653f55  terraform-provider-aws_5.2.0_linux_arm64.zip
9033d03e08967bf1ebb420cb1f6e77750a7aa75036a53a0b6709fdc107a829d9  terraform-provider-aws_5.2.0_freebsd_386.zip
9b12af85486a96aedd8d7984b0ff811a4b42e3d88dad1a3fb4c0b580d04fa425  terraform-provider-aws_5.2.0_manifest.json
a8cbffecf5f128081cf62dbd6e2d68105031d08c3499e34dcb6692cc147dec9d  terraform-provider-aws_5.2.0_linux_386.zip
bf0778aa0b53e3e65c25fdc4f1b639f4082a01226400958e4135630e2d132d56  terraform-provider-aws_5.2.0_linux_arm.zip
c9da1ae68faa4bc9f585d175eb666cbfcddafcdcfd6a18f3ecd071631fb4d4c5  terraform-provider-aws_5.2.0_openbsd_386.zip
cbc04edd7a868cf2713fd301ca357adb940003d0c02f5351c987e2ab6ead2a46  terraform-provider-aws_5.2.0_windows_amd64.zip
dae64f3047f18fabe7c5e9d6bccfb7f4b4793994cea0947dc1ac17e1922bf715  terraform-provider-aws_5.2.0_linux_amd64.zip
f7bad3983479af95b5b1cbe43305fa6492222cc4f17a512677dfab7c98cc480c  terraform-provider-aws_5.2.0_darwin_arm64.zip
`;

/** The binary `.sig` file, base64. */
export const AWS_PROVIDER_SUMS_SIG_BASE64 = [
  'wsFzBAABCAAnBQJkg4UzCRDIIMbVzSerhxYhBDdOx1tIWRNgSoMcx8ggxtXNJ6uHAABwow/8CK+K',
  'FeWZemkJ2aC/RMZjlujvyd4vk/JGgK9dCnsvzTPcAqcbNSBRfzQFU6T54MZd3Hf1EcAaTqzpSSf7',
  '7sFF6IQBGKEt5bBkqwGc36XX8+KUteq2ZO81Z+pDC4n3ODttUXODi0JUup6dKMMJris7bEwVzgXF',
  'Ijp0sypILncmaVgScOF+U7IM4XDKveJuFQ+DwQCKA/64FB7qsd8pi8aUBtCThDxh0Z7xfEfyLULU',
  'QIDpma59ve6XgNBkBZLA85ba+SoVn+Tnue3opIeNLxo0ffXckEGuKn5Ez4NJc87J8TwqIsPZZwuR',
  'k2jNCQ//pauYUXzPFtM+j10aJyWwtV8GRnHQexMk1OfIT/d5o3lC3daYbcQoEzmMW7eB7bVQ0p7P',
  'GuqzoeYFVWqDAIzLO2BJgZE3KB7oeeRjzoagbIaGnara3Q4Cukz0EpZ3uDmqrK/hYe20tbHA2LlE',
  'x9d1qo6p7fkFE/ZEihlX2piV+9D6MrgvIthXHmHYiG9uD6KvA6UGXHRn6qmiBSBG8/3Rbh6GrTsx',
  'Xn6MMb4aV5AsdW11GJX4SnH3LVLWO7i/em706ths0weld2KkXa1B/gUe6ucFfM0xh3JfIoD6mVh6',
  'LISZ9LVjefyodjylJxUWlY8FMkg5UxM1o+SRmAIsxEHiaGrlEQ9HplZa7GxiQ2IQb2lL6NA=',
].join('');
