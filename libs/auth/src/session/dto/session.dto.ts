import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { UserView } from '../../users/dto/user.dto.js';

export class LoginDto {
  @ApiProperty({ example: 'an.nguyen' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refreshToken of the last login or refresh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken!: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ description: 'Single use: POST /auth/refresh exchanges it for a new pair' }) refreshToken!: string;
  @ApiProperty({ type: UserView }) user!: UserView;
}

export class MeOrganization {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class MeApiKey {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() prefix!: string;
}

/** Who the caller is: a staff member (`user`), or a business through an API key (`organization`, `apiKey`). */
export class MeView {
  @ApiProperty({ enum: ['staff', 'business'] }) kind!: 'staff' | 'business';
  @ApiProperty({ type: UserView, required: false }) user?: UserView;
  @ApiProperty({ type: MeOrganization, required: false }) organization?: MeOrganization;
  @ApiProperty({ type: MeApiKey, required: false }) apiKey?: MeApiKey;
}
